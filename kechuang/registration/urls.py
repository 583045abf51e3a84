"""URLs of 单位注册, 个人注册, 忘记密码, 单位注册审核, 人员管理 and the person's own requests."""

from django.urls import path

from . import password_views, people_views, register_views

app_name = "registration"
urlpatterns = [
    path("register/unit/", register_views.unit_register, name="unit_register"),
    path("register/person/", register_views.person_register, name="person_register"),
    path("password/forgot/", password_views.forgot, name="password_forgot"),
    path("password/forgot/sent/", password_views.forgot_sent, name="password_forgot_sent"),
    path("password/reset/<uidb64>/<token>/", password_views.ResetView.as_view(), name="password_reset"),
    path("password/reset/done/", password_views.reset_done, name="password_reset_done"),
    path("center/my-registration/", register_views.my_registration, name="my_registration"),
    path("center/my-registration/certificate/", register_views.my_certificate, name="my_certificate"),
    path("center/registrations/", register_views.review_list, name="review_list"),
    path("center/registrations/<uuid:public_id>/", register_views.review_detail, name="review_detail"),
    path(
        "center/registrations/<uuid:public_id>/certificate/", register_views.certificate, name="certificate"
    ),
    path("center/registrations/<uuid:public_id>/approve/", register_views.review_approve, name="approve"),
    path("center/registrations/<uuid:public_id>/return/", register_views.review_return, name="return"),
    path("center/unit/people/", people_views.people, name="people"),
    path(
        "center/unit/people/<uuid:public_id>/<slug:action>/", people_views.person_action, name="person_action"
    ),
    path(
        "center/unit/transfers/<uuid:public_id>/<slug:decision>/",
        people_views.transfer_decide,
        name="transfer_decide",
    ),
    path(
        "center/unit/identity/<uuid:public_id>/<slug:decision>/",
        people_views.identity_decide,
        name="identity_decide",
    ),
    path("center/transfer/", people_views.transfer, name="transfer"),
    path("center/transfer/withdraw/", people_views.transfer_withdraw, name="transfer_withdraw"),
    path("center/profile/identity/", people_views.identity_change, name="identity_change"),
    path("center/profile/identity/withdraw/", people_views.identity_withdraw, name="identity_withdraw"),
]
