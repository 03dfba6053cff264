# tsp8_strict(<target>): our own code is compiled with -Wall -Wextra -Werror.
# Generated gSOAP code and the gSOAP runtime are not (see wsdl/CMakeLists.txt).
function(tsp8_strict target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
