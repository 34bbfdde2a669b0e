// Where a file's data lies: lseek(2) with SEEK_DATA and SEEK_HOLE, which Node does not offer.
// A backup of a sparse image reads only its allocated extents instead of gigabytes of zeros.
// dataExtents(fd, start, end, max) -> [s0, e0, s1, e1, ...]: at most `max` extents of data that
// start before `end`, clipped to [start, end); [] when the range is one hole. A file system
// without hole reporting answers with one extent to the end of the file, which is still right.
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static napi_value throw_errno(napi_env env, const char *what) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
  napi_throw_error(env, NULL, msg);
  return NULL;
}

static napi_value data_extents(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    napi_throw_type_error(env, NULL, "dataExtents(fd, start, end, max)");
    return NULL;
  }
  int32_t fd;
  double start_d, end_d;
  uint32_t max;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_double(env, argv[1], &start_d) != napi_ok ||
      napi_get_value_double(env, argv[2], &end_d) != napi_ok || napi_get_value_uint32(env, argv[3], &max) != napi_ok) {
    napi_throw_type_error(env, NULL, "dataExtents(fd, start, end, max): numbers expected");
    return NULL;
  }
  off_t pos = (off_t)start_d;
  off_t end = (off_t)end_d;
  napi_value out;
  napi_create_array(env, &out);
  uint32_t n = 0;
  while (pos < end && n / 2 < max) {
    off_t data = lseek(fd, pos, SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO) break; // no data at or after pos
      return throw_errno(env, "lseek SEEK_DATA");
    }
    if (data >= end) break;
    off_t hole = lseek(fd, data, SEEK_HOLE);
    if (hole < 0) return throw_errno(env, "lseek SEEK_HOLE");
    if (hole > end) hole = end;
    napi_value s, e;
    napi_create_double(env, (double)data, &s);
    napi_create_double(env, (double)hole, &e);
    napi_set_element(env, out, n++, s);
    napi_set_element(env, out, n++, e);
    pos = hole;
  }
  return out;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "dataExtents", NAPI_AUTO_LENGTH, data_extents, NULL, &fn);
  napi_set_named_property(env, exports, "dataExtents", fn);
  return exports;
}
