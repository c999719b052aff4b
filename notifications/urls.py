from django.urls import path

from notifications import views

urlpatterns = [
    path("hooks/twilio/status/", views.twilio_status, name="twilio-status"),
    path("hooks/twilio/inbound/", views.twilio_inbound, name="twilio-inbound"),
]
