package main

import (
	"os"
)

// evalDataDefault is the --data default of every evaluation: LANGASSESS_DATA,
// else ../shared/data when it exists (a checkout next to the shared folder),
// else /work/shared/data.
func evalDataDefault(getenv func(string) string) string {
	if v := getenv("LANGASSESS_DATA"); v != "" {
		return v
	}
	if _, err := os.Stat("../shared/data"); err == nil {
		return "../shared/data"
	}
	return "/work/shared/data"
}

// evalEnvOr is getenv(key), or def when it is unset or empty.
func evalEnvOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
