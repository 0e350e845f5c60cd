// Package config turns clientele.yaml into a typed, validated Config: defaults first, the
// YAML on top, ${ENV} references expanded, relative paths resolved against the file's
// folder, then every rule checked at once.
//
// Every problem is an *Error that names file:line:col and the key path in words a person
// who is not a programmer understands, and Load returns all of them together as Errors so
// one `clientele config check` shows everything to fix. Secrets (passwords, tokens, the
// unsubscribe key) are never part of an error or of Redacted output.
//
// The package reads files and the environment given to it; it opens no connection and
// knows nothing of the store, the crawler or mail.
package config
