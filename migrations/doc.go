// Package migrations embeds the golang-migrate SQL files for each dialect
// (postgres/ and sqlite/). It holds data only.
package migrations
