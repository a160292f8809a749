"""The patient's journal: dated entries, private unless the person shares one."""
