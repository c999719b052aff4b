"""Pages of the courses app: public pages, enrolment, the personal page, register, reports."""
