package demo

// SiteName is the sample newsroom's publication name, used when --demo is
// given and no --site-name.
const SiteName = "Meridian 24"
