/* Graph algorithms on a generated directed graph (1024 nodes, 4 weighted edges each, plus a ring so every node
   is reachable): BFS hop counts from node 0 and Dijkstra with a binary heap (lazy deletion) from two sources. */
#include "lib/bench.h"

#define NODES BENCH_SIZE(1024u, 48u)
#define DEG 5u
#define EDGES (NODES * DEG)
#define INF 0x7FFFFFFFu

static uint16_t edge_to[EDGES];
static uint16_t edge_w[EDGES];
static uint32_t dist[NODES];
static uint16_t queue[NODES];
static uint8_t seen[NODES];

typedef struct {
  uint32_t key;
  uint32_t node;
} heap_item;
static heap_item heap[EDGES + 1];

static uint32_t bfs(uint32_t src) {
  for (uint32_t i = 0; i < NODES; i++) {
    seen[i] = 0;
    dist[i] = INF;
  }
  uint32_t head = 0, tail = 0;
  queue[tail++] = (uint16_t)src;
  seen[src] = 1;
  dist[src] = 0;
  while (head < tail) {
    uint32_t u = queue[head++];
    for (uint32_t e = u * DEG; e < u * DEG + DEG; e++) {
      uint32_t v = edge_to[e];
      if (!seen[v]) {
        seen[v] = 1;
        dist[v] = dist[u] + 1;
        queue[tail++] = (uint16_t)v;
      }
    }
  }
  uint32_t sum = 0;
  for (uint32_t i = 0; i < NODES; i++) sum += dist[i] * (i + 1);
  return sum;
}

static uint32_t dijkstra(uint32_t src) {
  for (uint32_t i = 0; i < NODES; i++) dist[i] = INF;
  uint32_t n = 0;
  dist[src] = 0;
  heap[n++] = (heap_item){ 0, src };
  while (n > 0) {
    heap_item top = heap[0];
    heap_item last = heap[--n];
    uint32_t i = 0;
    for (;;) { /* sift `last` down from the root */
      uint32_t c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && heap[c + 1].key < heap[c].key) c++;
      if (last.key <= heap[c].key) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = last;
    if (top.key != dist[top.node]) continue; /* stale entry */
    uint32_t u = top.node;
    for (uint32_t e = u * DEG; e < u * DEG + DEG; e++) {
      uint32_t v = edge_to[e];
      uint32_t nd = top.key + edge_w[e];
      if (nd < dist[v]) {
        dist[v] = nd;
        uint32_t j = n++;
        while (j > 0 && heap[(j - 1) / 2].key > nd) { /* sift up */
          heap[j] = heap[(j - 1) / 2];
          j = (j - 1) / 2;
        }
        heap[j] = (heap_item){ nd, v };
      }
    }
  }
  uint32_t sum = 0;
  for (uint32_t i = 0; i < NODES; i++) sum = sum * 7u + dist[i];
  return sum;
}

uint32_t run(void) {
  uint32_t seed = 0x5EED1234u;
  for (uint32_t u = 0; u < NODES; u++) {
    edge_to[u * DEG] = (uint16_t)((u + 1) % NODES);
    edge_w[u * DEG] = (uint16_t)(500u + (bench_next(&seed) & 511u));
    for (uint32_t k = 1; k < DEG; k++) {
      edge_to[u * DEG + k] = (uint16_t)(bench_next(&seed) % NODES);
      edge_w[u * DEG + k] = (uint16_t)(1u + (bench_next(&seed) & 1023u));
    }
  }
  uint32_t h = bfs(0);
  h = h * 31u + dijkstra(0);
  h = h * 31u + dijkstra(NODES / 2);
  return h;
}
