"""The trainers' register: /register/ (my sessions), /register/<session id>/ and its parts."""

urlpatterns: list = []
