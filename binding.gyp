{
  "targets": [
    {
      "target_name": "snaptier_native",
      "sources": ["src/native/extents.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
