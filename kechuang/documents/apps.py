from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "kechuang.documents"
    verbose_name = "备案文书与导出"
