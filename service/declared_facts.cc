#include "service/declared_facts.h"

#include <string>

#include "engine/types.h"
#include "service/facts_catalogue.h"

namespace kyc::service {

void hold_to_catalogue(dsl::LoadedPolicy& loaded) {
  bool refused = false;
  for (const auto& decl : loaded.ast.facts) {
    const CataloguedFact* given = find_catalogued_fact(decl.name.text);
    if (!given) continue;
    std::string declared = engine::type_name(decl.type);
    if (declared == given->type || (given->type == "int" && declared == "number")) continue;
    loaded.diagnostics.error(loaded.source->locate(decl.name.offset),
                             decl.name.text + " is declared " + declared +
                                 ", but kycd gives it as " + std::string(given->type) + " (" +
                                 std::string(given->source) + ", kyc facts): declare it " +
                                 std::string(given->type) +
                                 ", or every decision that has it would be refused");
    refused = true;
  }
  if (!refused) return;
  loaded.diagnostics.sort();
  loaded.compiled.reset();
}

}  // namespace kyc::service
