// Package localapi lets every command work while the daemon holds the database.
//
// bbolt allows one process to open a database for writing, so while `clientele run` is up a
// second process cannot open it. Instead of failing, the command is forwarded: the daemon
// listens on a unix socket next to the database (mode 0600, so only the same user can talk
// to it), the command line and its input are sent there, the daemon runs exactly the same
// command code against its open database, and the output streams back. The CLI therefore
// behaves the same with or without a daemon, and there is one implementation of each command.
//
// The protocol is HTTP/1.1 over the socket: POST /v1/exec with the arguments as JSON in the
// X-Clientele-Args header and the command's standard input as the request body. The response
// body is a sequence of frames: one byte naming the stream ('o' stdout, 'e' stderr, 'x' exit
// status), a big-endian uint32 length, then the bytes. The exit frame comes last.
//
// The package knows nothing of commands or the store: the daemon hands it an Exec function.
package localapi
