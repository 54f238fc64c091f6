"""The service directory: Open Referral UK (HSDS 3.0) shaped data, with no HTTP in it."""
