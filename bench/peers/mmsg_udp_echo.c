/*
 * The UDP echo as lean as it goes, for bench/run.sh to measure netserver's direct engine against: one thread,
 * one epoll, datagrams read and written in batches of 64 (recvmmsg/sendmmsg). Speaks netserver's UDP echo:
 * each datagram back to its sender byte for byte; one over --max-datagram-bytes is dropped, never echoed
 * truncated (each slot holds the limit + 1, so a longer datagram fills it or is flagged MSG_TRUNC).
 *
 *   mmsg_udp_echo [--host 127.0.0.1] [--udp-port 51423] [--max-datagram-bytes 8192]
 *
 * Prints "READY udp-echo <ip>:<port>" once bound. SIGTERM/SIGINT: exits 143/130. No blocked source ports:
 * the loads come from ephemeral ports.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) { stop_signal = sig; }

static void usage(const char *self) {
  fprintf(stderr, "usage: %s [--host IPV4] [--udp-port P] [--max-datagram-bytes N]\n", self);
  exit(2);
}

int main(int argc, char **argv) {
  const char *host = "127.0.0.1";
  int port = 51423, max = 8192;
  for (int i = 1; i < argc; i++) {
    if (i + 1 >= argc) usage(argv[0]);
    if (!strcmp(argv[i], "--host")) host = argv[++i];
    else if (!strcmp(argv[i], "--udp-port")) port = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--max-datagram-bytes")) max = atoi(argv[++i]);
    else usage(argv[0]);
  }
  if (port < 0 || port > 65535 || max < 1 || max > 65507) usage(argv[0]);

  struct sigaction sa = {0};
  sa.sa_handler = on_signal; /* no SA_RESTART: epoll_wait returns EINTR and the loop ends */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = htons(port)};
  if (fd < 0 || inet_pton(AF_INET, host, &local.sin_addr) != 1 || bind(fd, (struct sockaddr *) &local, sizeof local) < 0) {
    fprintf(stderr, "mmsg_udp_echo: cannot listen on %s:%d: %s\n", host, port, strerror(errno));
    return 1;
  }
  socklen_t len = sizeof local;
  getsockname(fd, (struct sockaddr *) &local, &len);
  char ip[INET_ADDRSTRLEN];
  printf("READY udp-echo %s:%d\n", inet_ntop(AF_INET, &local.sin_addr, ip, sizeof ip), ntohs(local.sin_port));
  fflush(stdout);

  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);

  size_t slot = (size_t) max + 1;
  char *buffers = malloc(slot * BATCH);
  struct mmsghdr in[BATCH], out[BATCH];
  struct iovec iov[BATCH], out_iov[BATCH];
  struct sockaddr_in peers[BATCH];
  while (!stop_signal) {
    if (epoll_wait(ep, &ev, 1, -1) < 0) {
      if (errno == EINTR) continue;
      perror("epoll_wait");
      return 1;
    }
    for (;;) { /* level-triggered: drain what is queued, then wait again */
      for (int i = 0; i < BATCH; i++) {
        iov[i] = (struct iovec) {buffers + i * slot, slot};
        in[i].msg_hdr = (struct msghdr) {.msg_name = &peers[i], .msg_namelen = sizeof peers[i], .msg_iov = &iov[i], .msg_iovlen = 1};
      }
      int n = recvmmsg(fd, in, BATCH, 0, NULL);
      if (n <= 0) break;
      int m = 0;
      for (int i = 0; i < n; i++) {
        if (in[i].msg_len > (unsigned) max || (in[i].msg_hdr.msg_flags & MSG_TRUNC)) continue; /* oversize: dropped */
        out_iov[m] = (struct iovec) {iov[i].iov_base, in[i].msg_len};
        out[m].msg_hdr = (struct msghdr) {.msg_name = &peers[i], .msg_namelen = in[i].msg_hdr.msg_namelen, .msg_iov = &out_iov[m], .msg_iovlen = 1};
        m++;
      }
      for (int sent = 0; sent < m;) { /* a full send buffer drops the rest, as a UDP server must not block */
        int k = sendmmsg(fd, out + sent, m - sent, 0);
        if (k <= 0) break;
        sent += k;
      }
      if (n < BATCH) break;
    }
  }
  close(fd);
  return 128 + stop_signal;
}
