# With ER_SANITIZE every target is built and linked with ASan and UBSan, and UBSan
# findings abort so that a test run fails on the first report.
if(ER_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
