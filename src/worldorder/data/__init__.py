"""Sources layer: the registry of data sets, file resolution and parsers."""
