from django.urls import path

from tenant_apps.booking import team_views, views

app_name = "booking"
urlpatterns = [
    path("courses/sessions/<uuid:pk>/book/", views.book, name="book"),
    path("my-bookings/", views.my_bookings, name="mine"),
    path("my-learning/", views.my_learning, name="my-learning"),
    path("my-bookings/<uuid:pk>/cancel/", views.cancel, name="cancel"),
    path("offer/sessions/<uuid:pk>/bookings/", views.session_bookings, name="session"),
    path("offer/sessions/<uuid:pk>/bookings/add/", views.book_someone, name="book-someone"),
    path("offer/bookings/<uuid:pk>/move/", views.move, name="move"),
    path("offer/registers/", views.registers, name="registers"),
    path("offer/sessions/<uuid:pk>/register/", views.register_page, name="register"),
    path("offer/sessions/<uuid:pk>/register/walk-in/", views.register_walk_in, name="register-walk-in"),
    path("offer/sessions/<uuid:pk>/register/close/", views.register_close, name="register-close"),
    path("offer/sessions/<uuid:pk>/sign-in-sheet.pdf", views.sign_in_sheet, name="sign-in-sheet"),
    path("my-bookings/<uuid:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("certificates/check/", views.check_certificate, name="check-certificate"),
    path("bookings/approval/<str:token>/", views.approval, name="approval"),
    path("bookings/give-up/<str:token>/", views.give_up, name="give-up"),
    # An agency's training manager and their team's bookings.
    path("team/", team_views.team_page, name="team"),
    path("team/bookings.csv", team_views.team_csv, name="team-csv"),
    path("courses/sessions/<uuid:pk>/book-staff/", team_views.book_staff, name="book-staff"),
    path("team/bookings/<uuid:pk>/cancel/", team_views.cancel, name="team-cancel"),
    path("team/bookings/<uuid:pk>/pass-on/", team_views.pass_on, name="team-pass-on"),
]
