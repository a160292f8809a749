"""Names vulture cannot see used: frameworks reach them by name, not by a Python reference.

Read by `vulture` (configured in pyproject.toml, run by `make lint`). Add a name here only
when a framework, a template or a test uses it; delete code that nothing uses.
"""
# ruff: noqa

# Settings Django reads by name (web/settings.py)
meaning  # variable, care/program_settings.py
cows_review_at  # variable, care/program_settings.py
pulse_limit_heart  # variable, care/program_settings.py
ALLOWED_HOSTS  # variable, web/settings.py
SECURE_HSTS_INCLUDE_SUBDOMAINS  # variable, web/settings.py
SECURE_HSTS_PRELOAD  # variable, web/settings.py
LANGUAGE_COOKIE_SECURE  # variable, web/settings.py
LANGUAGE_COOKIE_HTTPONLY  # variable, web/settings.py
LANGUAGE_COOKIE_SAMESITE  # variable, web/settings.py
LANGUAGE_COOKIE_AGE  # variable, web/settings.py
CSRF_TRUSTED_ORIGINS  # variable, web/settings.py
INSTALLED_APPS  # variable, web/settings.py
MIDDLEWARE  # variable, web/settings.py
ROOT_URLCONF  # variable, web/settings.py
WSGI_APPLICATION  # variable, web/settings.py
LOGIN_URL  # variable, web/settings.py
LOGIN_REDIRECT_URL  # variable, web/settings.py
LOGOUT_REDIRECT_URL  # variable, web/settings.py
TEMPLATES  # variable, web/settings.py
DEFAULT_AUTO_FIELD  # variable, web/settings.py
SESSION_ENGINE  # variable, web/settings.py
CACHES  # variable, web/settings.py
PASSWORD_HASHERS  # variable, web/settings.py
AUTH_PASSWORD_VALIDATORS  # variable, web/settings.py
LANGUAGES  # variable, web/settings.py
USE_I18N  # variable, web/settings.py
USE_TZ  # variable, web/settings.py
TIME_ZONE  # variable, web/settings.py
STATIC_URL  # variable, web/settings.py
STATIC_ROOT  # variable, web/settings.py
STATICFILES_DIRS  # variable, web/settings.py
WHITENOISE_USE_FINDERS  # variable, web/settings.py
WHITENOISE_AUTOREFRESH  # variable, web/settings.py
SESSION_COOKIE_SECURE  # variable, web/settings.py
CSRF_COOKIE_SECURE  # variable, web/settings.py
SESSION_COOKIE_HTTPONLY  # variable, web/settings.py
SESSION_COOKIE_SAMESITE  # variable, web/settings.py
CSRF_COOKIE_SAMESITE  # variable, web/settings.py
SESSION_COOKIE_AGE  # variable, web/settings.py
SESSION_SAVE_EVERY_REQUEST  # variable, web/settings.py
SECURE_CONTENT_TYPE_NOSNIFF  # variable, web/settings.py
SECURE_REFERRER_POLICY  # variable, web/settings.py
SECURE_CROSS_ORIGIN_OPENER_POLICY  # variable, web/settings.py
X_FRAME_OPTIONS  # variable, web/settings.py
SECURE_PROXY_SSL_HEADER  # variable, web/settings.py
SECURE_SSL_REDIRECT  # variable, web/settings.py
SECURE_HSTS_SECONDS  # variable, web/settings.py
CONTENT_SECURITY_POLICY  # variable, web/settings.py
EMAIL_BACKEND  # variable, web/settings.py
EMAIL_HOST  # variable, web/settings.py
EMAIL_PORT  # variable, web/settings.py
EMAIL_HOST_USER  # variable, web/settings.py
EMAIL_HOST_PASSWORD  # variable, web/settings.py
LOGGING  # variable, web/settings.py

# Model fields and methods: the ORM reads and writes them by keyword, templates and
# exports by name
used_by  # variable, web/accounts/models.py
used_at  # variable, web/accounts/models.py
token_hash  # variable, web/accounts/models.py
recorded_by  # variable, web/bedside/models.py
updated_by  # variable, web/bedside/models.py
recorded_by  # variable, web/bedside/models.py
author_name  # variable, web/clinic/models.py
signed_at  # variable, web/clinic/models.py
subjective  # variable, web/clinic/models.py
objective  # variable, web/clinic/models.py
deleted_at  # variable, web/exports/models.py
source_id  # variable, web/exports/models.py
retained_at  # variable, web/exports/models.py
created_by  # variable, web/followup/models.py
sent_at  # variable, web/followup/models.py
token_hash  # variable, web/followup/models.py
imported_at  # variable, web/followup/models.py
imported_at  # variable, web/followup/models.py
imported_by  # variable, web/followup/models.py
read_by  # variable, web/messaging/models.py
email_notices  # variable, web/messaging/models.py
recorded_by  # variable, web/patients/models.py
updated_by  # variable, web/program/models.py
told_clinician  # variable, web/recovery/models.py
written_at  # variable, web/recovery/models.py
acknowledged_by  # variable, web/safety/models.py
acknowledgement_note  # variable, web/safety/models.py
created_by  # variable, web/tapers/models.py
created_by  # variable, web/tapers/models.py
signed_by  # variable, web/tapers/models.py
signed_at  # variable, web/tapers/models.py
withdrawn_at  # variable, web/tapers/models.py

# Form fields and widget hooks: Django renders and cleans them by name
file  # variable, web/followup/referrals/forms.py
email_notices  # variable, web/messaging/forms.py
_.value_from_datadict  # method, web/patients/forms.py
renderer  # variable, web/patients/forms.py
_.first_error_anchor  # method, web/patients/forms.py
shown_red_flags  # variable, web/patients/forms.py
_.option_rows  # method, web/recovery/forms.py
_.simple_fields  # method, web/recovery/forms.py
_.list_fields  # method, web/recovery/forms.py
_.people_rows  # method, web/recovery/forms.py
starting_point  # variable, web/tapers/forms.py
_.queryset  # attribute, web/program/forms.py: a choice field's choices, read by Django

# django-ninja: schema fields, resolvers and handlers it calls by name
_.authenticate  # method, web/api/auth.py
_.render_page  # method, web/api/docs.py
author_name  # variable, web/api/endpoints/messages.py
Input  # class, web/api/pagination.py
acknowledged_by_id  # variable, web/api/schemas.py
acknowledgement_note  # variable, web/api/schemas.py

# Registry indexes kept for the tests and docs that walk them
FIELD_KINDS  # variable, care/exercises.py
breathing_plan  # function, care/exercises.py
CLASS_IDS  # variable, care/interactions.py
RULE_IDS  # variable, care/safety.py
CAUTION_BY_CLASS  # variable, care/taper_cautions.py

# Dataclass fields and properties read by templates, JSON answers or exports
help  # variable, care/exercises.py
intro  # variable, care/exercises.py
care_plans  # variable, care/fhir_bundle.py
STATES  # variable, care/followup.py
is_positive  # function, care/instruments/audit_c.py
concern  # variable, care/interactions.py
_.tag  # property, care/interactions.py
DEFAULT_ANALYTES  # variable, care/labs.py
_.drivers  # property, care/level_of_care.py
effective_level  # function, care/level_of_care.py
lapses  # variable, care/progress.py
days_to_go  # variable, care/progress.py
days_with_data  # variable, care/progress.py
notify_reason  # variable, care/safety.py
days_recorded  # variable, care/taper_adherence.py
days_within_plan  # variable, care/taper_adherence.py
days_over  # variable, care/taper_adherence.py
total_over  # variable, care/taper_adherence.py
parameter  # variable, care/timeline.py
phase_times  # variable, care/timeline.py
acute_end_range_h  # variable, care/timeline.py
_.withdrawal  # property, web/patients/queries.py (check-in history tables)

# Other entry points: logging handlers and filters, gunicorn hooks, template context,
# worker jobs, middleware hooks
server  # variable, commands/web_serve.py
worker  # variable, commands/web_serve.py
server  # variable, commands/web_serve.py
worker  # variable, commands/web_serve.py
_.load_config  # method, commands/web_serve.py
ago  # variable, web/clinic/live.py
now_label  # variable, web/clinic/live.py
truncated  # variable, web/clinic/live.py
completed_withdrawals  # variable, web/clinic/program.py
unassigned  # variable, web/clinic/program.py
subjective  # variable, web/clinic/views.py
objective  # variable, web/clinic/views.py
is_background_poll  # function, web/common/polling.py
_.deleted_at  # attribute, web/exports/actions.py
todo  # variable, web/followup/plans.py
state_label  # variable, web/followup/views.py
RedactDatabaseErrors  # class, web/logs.py
_.msg  # attribute, web/logs.py
_.exc_text  # attribute, web/logs.py
_.stack_info  # attribute, web/logs.py
PrivateFileHandler  # class, web/logs.py
_.streaming_content  # attribute, web/middleware.py
_.content  # attribute, web/middleware.py
_.used_by  # attribute, web/patients/actions.py
_.used_at  # attribute, web/patients/actions.py
_.escalation_delay  # property, web/program/config.py
heading  # variable, web/recovery/learn.py
paragraphs  # variable, web/recovery/learn.py
sources  # variable, web/recovery/learn.py
links  # variable, web/recovery/learn.py
reviewed  # variable, web/recovery/learn.py
estimated_by_fallback  # variable, web/recovery/queries.py
checked_in  # variable, web/recovery/queries.py
suggestions  # variable, web/recovery/queries.py
current_streak  # variable, web/recovery/queries.py
since_quitting  # variable, web/recovery/queries.py
money_problem  # variable, web/recovery/queries.py
_.acknowledged_by  # attribute, web/safety/actions.py
_.acknowledgement_note  # attribute, web/safety/actions.py
level_plain_name  # variable, web/safety/engine.py
effective_level  # variable, web/safety/engine.py
held_days  # variable, web/tapers/plans.py
step_number  # variable, web/tapers/plans.py
next_start  # variable, web/tapers/plans.py
stopped  # variable, web/tapers/plans.py
reached_zero  # variable, web/tapers/plans.py
start_amount  # variable, web/tapers/plans.py
today_amount  # variable, web/tapers/plans.py
today_doses  # variable, web/tapers/plans.py
current_step  # variable, web/tapers/plans.py
days_recorded  # variable, web/tapers/plans.py
days_over  # variable, web/tapers/plans.py
chart_svg  # variable, web/tapers/plans.py
_.steps_soon  # property, web/tapers/plans.py
_.days_recorded  # attribute, web/tapers/plans.py
_.days_over  # attribute, web/tapers/plans.py
_.chart_svg  # attribute, web/tapers/plans.py
plan_id  # variable, web/tapers/plans.py
of  # variable, web/tapers/plans.py
amount_text  # variable, web/tapers/plans.py
due_doses  # function, web/tapers/plans.py
urlpatterns  # variable, web/urls.py
urlpatterns  # variable, web/urls_api.py
urlpatterns  # variable, web/urls_clinic.py
urlpatterns  # variable, web/urls_me.py
urlpatterns  # variable, web/urls_program.py

# Added after the notify and two-factor work landed: settings, model and form fields, the
# alert-delivery context processor and the worker's tallies
new_password  # variable, web/accounts/forms.py
new_password2  # variable, web/accounts/forms.py
current_password  # variable, web/accounts/forms.py
_._get_session_auth_hash  # method, web/accounts/models.py
issued_by  # variable, web/accounts/models.py
_.confirmed  # attribute, web/accounts/twofactor.py
delivery_banner  # function, web/notify/context.py
_.next_attempt_at  # attribute, web/notify/delivery.py
_.lease_until  # attribute, web/notify/delivery.py
escalated  # variable, web/notify/delivery.py
digests  # variable, web/notify/delivery.py
worker_expected  # variable, web/notify/health.py
heartbeat_at  # variable, web/notify/health.py
undelivered_since  # variable, web/notify/health.py
dispatched_at  # variable, web/notify/models.py
escalated_at  # variable, web/notify/models.py
next_attempt_at  # variable, web/notify/models.py
lease_until  # variable, web/notify/models.py
claimed_at  # variable, web/notify/models.py
after_hours  # variable, web/notify/state.py
poll  # variable, web/notify/state.py
PASSWORD_RESET_TIMEOUT  # variable, web/settings.py
OTP_TOTP_ISSUER  # variable, web/settings.py
OTP_TOTP_THROTTLE_FACTOR  # variable, web/settings.py
OTP_STATIC_THROTTLE_FACTOR  # variable, web/settings.py

# The MAR (web/bedside): read by its templates
entered_name  # variable, web/bedside/models.py
hold_fields  # method, web/bedside/forms.py
main_fields  # method, web/bedside/forms.py
cows_before  # variable, web/bedside/queries.py
cows_after  # variable, web/bedside/queries.py
dose_text  # method, care/mar.py
amount_text  # method, web/bedside/models.py

# The check-in's result card (web/patients/checkin_result.py): read by its template
place  # variable
eases  # variable
eased  # variable
low_mood  # property, web/patients/queries.py (the home history table)
poor_sleep  # property, web/patients/queries.py

# Safety-plan sections the API's SectionsIn names as fields (web/api/endpoints/safety_plan.py)
distractions  # variable
helpers  # variable
professionals  # variable
environment  # variable

# The caseload's stored triage (web/clinic/triage.py): columns its SQL order reads by name,
# the backfill the data migration runs, and the Python order the SQL order is tested against
private_tier  # variable, web/clinic/models.py
last_checkin_day  # variable, web/clinic/models.py
attention_day  # variable, web/clinic/models.py
refresh_many  # function, web/clinic/triage.py (clinic/migrations/0003)
sort_key  # function, care/caseload.py (tests/web/test_caseload_triage.py)

# Unused today, in modules other work is changing: wire them or delete them, then drop them here
_.safety_input  # method, care/evidence.py
clinic_label  # function, web/common/clock.py
authenticator  # function, web/accounts/twofactor.py
any_channel  # function, web/notify/channels.py

# The check-in path (web/patients/state.py and its callers): names Django reads
Command  # class, web/patients/management/commands/rebuild_current_state.py (manage)
SessionBackend  # class, web/patients/signin.py (AUTHENTICATION_BACKENDS)
get_user  # method, web/patients/signin.py (django.contrib.auth)
_prefetched_objects_cache  # attribute, web/api/endpoints/patients.py (the responses it wrote)
_get_session_from_db  # method, web/accounts/session_store.py (SESSION_ENGINE's load)
_session_key  # attribute, web/accounts/session_store.py (Django's SessionBase)

# Read by name: templates (the caseload's rows), SQL orders and Django's model state
chart_url  # variable, web/clinic/caseload.py (templates/clinic/caseload.html)
messages_url  # variable, web/clinic/caseload.py (templates/clinic/caseload.html)
_.tier_label  # property, web/clinic/caseload.py (templates/clinic/caseload.html)
severity_rank  # variable, web/safety/models.py (alerts ordered by it in SQL, clinic/live.py)
_.adding  # attribute, web/audit/chain.py (Django's model state after a plain INSERT)
