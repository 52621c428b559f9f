"""Support meetings (支援会議, Social Welfare Act art. 106-6; 重層的支援会議)."""
