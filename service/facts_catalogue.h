// Every fact kycd itself can give a policy, in one table: the image and text adapters', the
// account store's and the service's own, each with its type, where it comes from and what it
// means. `kyc facts` prints it and docs/facts.md is generated from it; tests hold the adapters
// and the shipped policy to it, so a fact added in code without its line here is caught.
#pragma once

#include <span>
#include <string_view>

namespace kyc::service {

struct CataloguedFact {
  std::string_view name;     // as a policy declares it
  std::string_view type;     // as a policy declares it: bool, int, number, string, date
  std::string_view source;   // who produces it
  std::string_view meaning;  // what it says, and when it is absent
  // The image adapter measures each photo: the back's facts come as back.NAME.
  bool each_side = false;
};

// In the order a reader meets them: the file, the image, the document's text, the account
// store, the service.
std::span<const CataloguedFact> facts_catalogue();

// The entry for `name`, a back.NAME of an each-side fact included; nullptr if not catalogued.
const CataloguedFact* find_catalogued_fact(std::string_view name);

}  // namespace kyc::service
