"""备案编号: the nullable unique number of a filing and the per-year counter it is taken from (issue 13)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('filings', '0008_filing_season_and_quota_place'),
    ]

    operations = [
        migrations.AddField(
            model_name='filing',
            name='number',
            field=models.CharField(blank=True, editable=False, max_length=24, null=True, unique=True, verbose_name='备案编号'),
        ),
        migrations.CreateModel(
            name='FilingNumberCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('prefix', models.CharField(max_length=8)),
                ('year', models.PositiveSmallIntegerField()),
                ('last', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': '备案编号计数',
                'verbose_name_plural': '备案编号计数',
                'constraints': [models.UniqueConstraint(fields=('prefix', 'year'), name='one_counter_per_prefix_year')],
            },
        ),
    ]
