// Package hunspell reads Hunspell dictionaries (.aff + .dic, as shipped by the
// Debian hunspell-* packages in /usr/share/hunspell) in pure Go, so the
// langassess binary stays static, and checks and suggests spellings.
//
// Why our own reader: the Go module proxy holds no maintained pure-Go Hunspell
// implementation that handles what the Debian dictionaries use. The known ones
// (client9/gospell and its fork inside errata-ai/vale, which is an internal
// package) implement plain PFX/SFX expansion only: no FLAG long/num/UTF-8, no
// AF aliases, no compounding (COMPOUNDBEGIN/MIDDLE/END, COMPOUNDPERMITFLAG,
// ONLYINCOMPOUND, COMPOUNDRULE), no twofold suffixes or CIRCUMFIX, which
// German, Dutch and Swedish need, and no ISO8859 conversion for Polish. The
// checker here follows the lookup algorithm of Hunspell 1.7 (affix stripping
// rather than expanding every form, so Czech loads in a fraction of a second
// and little memory) and is measured against the hunspell command by
// `langassess-eval spelling`.
//
// Concurrency: a *Dictionary is immutable after Load and safe for concurrent
// use. A *Set loads each language once, on first use or by Preload, and is
// safe for concurrent use.
package hunspell
