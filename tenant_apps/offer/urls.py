from django.urls import path

from tenant_apps.offer import views

app_name = "offer"
urlpatterns = [
    # Anyone: the catalogue, a course, the calendar feed.
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/calendar.ics", views.calendar_feed, name="calendar"),
    path("courses/<uuid:pk>/", views.course_page, name="course"),
    # The board's managers.
    path("offer/sessions/", views.session_list, name="sessions"),
    path("offer/sessions/new/", views.session_schedule, name="session-schedule"),
    path("offer/sessions/<uuid:pk>/", views.session_detail, name="session"),
    path("offer/sessions/<uuid:pk>/edit/", views.session_edit, name="session-edit"),
    path("offer/sessions/<uuid:pk>/trainers/", views.session_assign, name="session-assign"),
    path("offer/sessions/<uuid:pk>/co-trainers/", views.session_book_co_trainer, name="session-book-co-trainer"),
    path("offer/sessions/<uuid:pk>/trainers/<int:trainer_id>/remove/", views.session_unassign, name="session-unassign"),
    path("offer/sessions/<uuid:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("offer/sessions/<uuid:pk>/postpone/", views.session_postpone, name="session-postpone"),
    path("offer/courses/", views.course_list, name="courses"),
    path("offer/courses/new/", views.course_edit, name="course-add"),
    path("offer/courses/<uuid:pk>/edit/", views.course_edit, name="course-edit"),
    path("offer/venues/", views.venue_list, name="venues"),
    path("offer/venues/new/", views.venue_edit, name="venue-add"),
    path("offer/venues/<uuid:pk>/edit/", views.venue_edit, name="venue-edit"),
    path("offer/standards/", views.standard_list, name="standards"),
    path("offer/standards/new/", views.standard_edit, name="standard-add"),
    path("offer/standards/<uuid:pk>/edit/", views.standard_edit, name="standard-edit"),
    path("offer/observations/", views.observation_list, name="observations"),
    path("offer/observations/new/", views.observation_record, name="observation-record"),
]
