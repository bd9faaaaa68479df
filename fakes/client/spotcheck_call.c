/* spotcheck-call: what a launcher's `aws`, `date`, `sleep`... run in the dispatcher's sandbox. It hands the
 * call (argv, environment, working directory and open descriptors) to the run's call server, waits, and ends
 * as the call ended: the same exit status, or killed by the same signal. Without a server (no
 * SPOTCHECK_CALL_SOCKET, nobody listening, a descriptor the protocol cannot carry) it runs the fake itself,
 * with the same argv, so every call works either way.
 *
 * Why a separate C program built against musl: a statically linked glibc program spends most of a short
 * call in start-up (CPU-feature and cache probing, each `cpuid` a trap to the hypervisor); a musl one starts
 * in a tenth of that (bench/README.md, "A call through the run's call server"). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "spotcheck/fakes/call_protocol.h"

extern char** environ;

static int connection = -1;
static volatile sig_atomic_t caught_signal = 0;

/* The signals a caller may send a running call; each is passed on to the server, which sends it to the call,
 * unless this process ignores it (as a process running the fake would). */
static const int kForwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM};
/* Signals whose disposition the call inherits: ignored here, ignored by the call (SIGPIPE: no death on a
 * closed pipe; SIGHUP under nohup). */
static const int kInherited[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGCHLD,
                                 SIGTSTP, SIGTTIN, SIGTTOU};

static void forward_signal(int sig) {
  const int saved_errno = errno;
  const int32_t number = sig;
  caught_signal = sig;
  if (send(connection, &number, sizeof number, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
    /* the server is gone: the reply read below reports it */
  }
  errno = saved_errno;
}

/* The forwarded signals this process does not ignore, as a set. */
static sigset_t forwarded_set(uint64_t ignored) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < sizeof kForwarded / sizeof kForwarded[0]; ++i)
    if ((ignored & (1ull << (kForwarded[i] - 1))) == 0) sigaddset(&set, kForwarded[i]);
  return set;
}

/* Signals are this process's again; one caught meanwhile ends it, as it would have ended the fake. */
static void stop_forwarding(uint64_t ignored) {
  const sigset_t set = forwarded_set(ignored);
  for (size_t i = 0; i < sizeof kForwarded / sizeof kForwarded[0]; ++i)
    if (sigismember(&set, kForwarded[i]) == 1) signal(kForwarded[i], SIG_DFL);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  if (caught_signal != 0) kill(getpid(), caught_signal);
}

/* Runs the fake in this process: beside this program, else in the run directory. Does not return. */
static void run_fake(char** argv) {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 32);
  if (n > 0) {
    path[n] = '\0';
    char* slash = strrchr(path, '/');
    if (slash != NULL) {
      strcpy(slash + 1, "spotcheck-fake");
      if (access(path, X_OK) == 0) execve(path, argv, environ);
    }
  }
  const char* root = getenv("SPOTCHECK_ROOT");
  snprintf(path, sizeof path, "%s/bin/spotcheck-fake", root != NULL && *root ? root : "/run/spotcheck");
  execve(path, argv, environ);
  dprintf(2, "spotcheck-call: can't run the fake %s: %s\n", path, strerror(errno));
  _exit(127);
}

/* The descriptors this process has open (those the fake would inherit), ascending; -1 when one is beyond
 * what the protocol carries. */
static int open_descriptors(int32_t* numbers) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == NULL) return -1;
  int count = 0;
  int ok = 1;
  for (struct dirent* e; (e = readdir(dir)) != NULL;) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    const int fd = atoi(e->d_name);
    if (fd == dirfd(dir)) continue;
    if (fd >= SPOTCHECK_CALL_MAX_FD || count == SPOTCHECK_CALL_MAX_FDS) {
      ok = 0;
      break;
    }
    numbers[count++] = fd;
  }
  closedir(dir);
  return ok ? count : -1;
}

/* Sends the request in one message: the header and its descriptors, then argv and the environment. Returns -1
 * when it could not (the server is not there, or is going away). */
static int send_request(int fd, const struct CallRequestHeader* header, const char* strings, int cwd) {
  union {
    char buffer[CMSG_SPACE(sizeof(int) * (SPOTCHECK_CALL_MAX_FDS + 1))];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof control);
  struct iovec iov[2] = {{(void*)header, sizeof *header}, {(void*)strings, header->strings_size}};
  struct msghdr msg = {0};
  msg.msg_iov = iov;
  msg.msg_iovlen = 2;
  msg.msg_control = control.buffer;
  msg.msg_controllen = CMSG_SPACE(sizeof(int) * (header->nfds + 1));
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (header->nfds + 1));
  int* fds = (int*)CMSG_DATA(cmsg);
  fds[0] = cwd;
  for (uint32_t i = 0; i < header->nfds; ++i) fds[i + 1] = header->fd_numbers[i];
  size_t left = sizeof *header + header->strings_size;
  ssize_t sent;
  do sent = sendmsg(fd, &msg, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  if (sent < (ssize_t)sizeof *header) return -1;
  /* What a full socket buffer did not take (a long environment): the rest of the strings. */
  left -= (size_t)sent;
  const char* rest = strings + header->strings_size - left;
  while (left > 0) {
    const ssize_t n = send(fd, rest, left, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    rest += n;
    left -= (size_t)n;
  }
  return 0;
}

/* argv and then the environment, each string NUL-terminated, in one buffer; NULL when too large. */
static char* pack_strings(int argc, char** argv, struct CallRequestHeader* header) {
  size_t size = 0;
  for (int i = 0; i < argc; ++i) size += strlen(argv[i]) + 1;
  for (char** e = environ; *e != NULL; ++e, ++header->envc) size += strlen(*e) + 1;
  if (size > UINT32_MAX) return NULL;
  char* strings = malloc(size);
  if (strings == NULL) return NULL;
  char* at = strings;
  for (int i = 0; i < argc; ++i) at = stpcpy(at, argv[i]) + 1;
  for (char** e = environ; *e != NULL; ++e) at = stpcpy(at, *e) + 1;
  header->strings_size = (uint32_t)size;
  return strings;
}

int main(int argc, char** argv) {
  const char* socket_path = getenv(SPOTCHECK_CALL_SOCKET_ENV);
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  if (socket_path == NULL || *socket_path == '\0' || strlen(socket_path) >= sizeof address.sun_path)
    run_fake(argv);
  strcpy(address.sun_path, socket_path);

  struct CallRequestHeader header;
  memset(&header, 0, sizeof header);
  const int nfds = open_descriptors(header.fd_numbers);
  if (nfds < 0) run_fake(argv);
  header.magic = SPOTCHECK_CALL_MAGIC;
  header.argc = (uint32_t)argc;
  header.nfds = (uint32_t)nfds;
  header.process_group = (int32_t)getpgrp();
  const mode_t mask = umask(0);
  umask(mask);
  header.umask = (uint32_t)mask;
  for (size_t i = 0; i < sizeof kInherited / sizeof kInherited[0]; ++i) {
    struct sigaction current;
    if (sigaction(kInherited[i], NULL, &current) == 0 && current.sa_handler == SIG_IGN)
      header.ignored_signals |= 1ull << (kInherited[i] - 1);
  }
  sigset_t blocked;
  sigprocmask(SIG_BLOCK, NULL, &blocked);
  for (int sig = 1; sig <= 64; ++sig)
    if (sigismember(&blocked, sig) == 1) header.blocked_signals |= 1ull << (sig - 1);
  char* strings = pack_strings(argc, argv, &header);
  if (strings == NULL) run_fake(argv);

  const int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  connection = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (cwd < 0 || connection < 0 || connect(connection, (struct sockaddr*)&address, sizeof address) != 0) {
    if (connection >= 0) close(connection);
    if (cwd >= 0) close(cwd);
    run_fake(argv);
  }
  /* From here the call is the server's: signals are passed on, not acted on; held back until the request is
   * sent, so that none lands inside it. */
  const sigset_t forwarded = forwarded_set(header.ignored_signals);
  sigprocmask(SIG_BLOCK, &forwarded, NULL);
  struct sigaction forward = {0};
  forward.sa_handler = forward_signal;
  sigemptyset(&forward.sa_mask);
  for (size_t i = 0; i < sizeof kForwarded / sizeof kForwarded[0]; ++i)
    if (sigismember(&forwarded, kForwarded[i]) == 1) sigaction(kForwarded[i], &forward, NULL);
  if (send_request(connection, &header, strings, cwd) != 0) {
    /* The server runs nothing of a request it did not get whole: the fake runs here. */
    close(connection);
    close(cwd);
    stop_forwarding(header.ignored_signals);
    run_fake(argv);
  }
  close(cwd);
  sigprocmask(SIG_UNBLOCK, &forwarded, NULL);

  struct CallReply reply;
  size_t got = 0;
  while (got < sizeof reply) {
    const ssize_t n = recv(connection, (char*)&reply + got, sizeof reply - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      stop_forwarding(header.ignored_signals);
      dprintf(2, "spotcheck-call: the run's call server at %s went away during the call\n", socket_path);
      return 255;
    }
    got += (size_t)n;
  }
  if (reply.kind == CALL_RUN_FAKE) {
    close(connection);
    stop_forwarding(header.ignored_signals);
    run_fake(argv);
  }
  /* A signal that would have ended a process running the fake ends this one, even if the call outran it. */
  int sig = reply.kind == CALL_SIGNALED ? reply.value : caught_signal;
  if (sig != 0) {
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), sig);
    if (reply.kind == CALL_SIGNALED) return 128 + sig; /* a signal that does not end a process (SIGCHLD...) */
  }
  return reply.value;
}
