"""The rules about the records that are not tables: languages, derived data, history, imports."""
