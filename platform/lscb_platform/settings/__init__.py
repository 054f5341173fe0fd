"""Settings split by environment: base, dev, test, prod. DJANGO_SETTINGS_MODULE picks one."""
