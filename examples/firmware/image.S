/* The AOT image, in flash (.rodata), 8-byte aligned as the loader requires; APP_AOT is set by CMakeLists.txt. */
  .section .rodata.app_aot, "a"
  .balign 8
  .global app_aot
app_aot:
  .incbin APP_AOT
  .global app_aot_end
app_aot_end:
