"""Trainer portal pages on the platform host."""

from django.urls import URLPattern, path, re_path

from shared_apps.trainers import views

app_name = "trainers"
urlpatterns: list[URLPattern] = [
    path("trainers/", views.sessions, name="sessions"),
    path("trainers/join/", views.join, name="join"),
    path("trainers/profile/", views.profile_page, name="profile"),
    path("trainers/sessions/<uuid:pk>/accept/", views.accept, name="accept"),
    path("trainers/sessions/<uuid:pk>/decline/", views.decline, name="decline"),
    path("trainers/boards/", views.boards, name="boards"),
    path("trainers/availability/", views.availability, name="availability"),
    path("trainers/availability/weekdays/", views.weekdays, name="weekdays"),
    path("trainers/availability/<int:pk>/remove/", views.remove_blackout, name="remove-blackout"),
    path("trainers/hours/", views.hours, name="hours"),
    path("trainers/agencies/hours/", views.agency_hours, name="agency-hours"),
    path("trainers/agencies/hours.csv", views.agency_hours_csv, name="agency-hours-csv"),
    path("trainers/calendar/new-link/", views.new_calendar_link, name="new-calendar-link"),
    # token_urlsafe's alphabet; the length bound keeps junk out before any query.
    re_path(r"^trainers/calendar/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$", views.calendar_feed, name="calendar"),
]
