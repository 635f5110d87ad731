{
  "targets": [
    {
      "target_name": "astram_mining",
      "sources": [
        "src/addon.c",
        "src/sha256_common.c",
        "src/search_portable.c",
        "src/search_shani.c",
        "src/search_vector.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"],
      "cflags!": ["-O2"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-std=c11"] },
      "msvs_settings": { "VCCLCompilerTool": { "Optimization": 2 } }
    }
  ]
}
