file(READ ${INPUT} CONTENT)
file(WRITE ${OUTPUT} "#include <string>\nnamespace kiln::http {\nconst std::string& OpenApiDocument() {\n  static const std::string kDocument = R\"KILN_OPENAPI(${CONTENT})KILN_OPENAPI\";\n  return kDocument;\n}\n}  // namespace kiln::http\n")
