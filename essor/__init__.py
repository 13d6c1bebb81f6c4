"""essor: open observatory and toolkit of the social and solidarity economy in QPVs."""
