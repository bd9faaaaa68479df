/* The wire format between spotcheck-call (the launcher's side of a call, a small C program) and the run's
 * call server (fakes/src/call_server.cpp). C, so that the client, built against musl for a cheap start-up,
 * and the C++ server read one definition.
 *
 * On a stream socket, the client sends one request: a CallRequestHeader, carrying as SCM_RIGHTS its working
 * directory (an O_PATH descriptor) and then every descriptor it has open, then `strings_size` bytes of
 * argv and then environment strings, each NUL-terminated. While it waits, each signal it is sent is passed
 * on as an int32_t signal number. The server answers with one CallReply. */
#ifndef SPOTCHECK_FAKES_CALL_PROTOCOL_H
#define SPOTCHECK_FAKES_CALL_PROTOCOL_H

#include <stdint.h>

#define SPOTCHECK_CALL_MAGIC 0x31435053u /* "SPC1" */
/* The launcher's environment names the socket; a process without it runs the fake itself. */
#define SPOTCHECK_CALL_SOCKET_ENV "SPOTCHECK_CALL_SOCKET"
/* A client passes its descriptors below this number; the server keeps its own at or above it. A process
 * with a descriptor above it, or with more of them than one message carries, runs the fake itself. */
#define SPOTCHECK_CALL_MAX_FD 256
#define SPOTCHECK_CALL_MAX_FDS 200

struct CallRequestHeader {
  uint32_t magic;
  uint32_t argc;
  uint32_t envc;
  uint32_t nfds;         /* descriptors after the working directory, in fd_numbers' order */
  int32_t process_group; /* the client's, for a rule that signals the caller's process group */
  uint32_t strings_size;
  uint32_t umask;           /* the client's file mode creation mask */
  uint32_t reserved;
  uint64_t ignored_signals; /* bit N-1: signal N is ignored (SIG_IGN), as an exec'd process keeps it */
  uint64_t blocked_signals; /* bit N-1: signal N is blocked, before the client passes signals on */
  int32_t fd_numbers[SPOTCHECK_CALL_MAX_FDS];
};

enum CallReplyKind {
  CALL_EXITED = 0,   /* value: the exit status */
  CALL_SIGNALED = 1, /* value: the signal that ended the call */
  CALL_RUN_FAKE = 2  /* the server cannot take this call: run the fake in this process */
};

struct CallReply {
  int32_t kind;
  int32_t value;
};

#endif
