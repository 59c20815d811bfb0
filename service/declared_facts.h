// A policy's fact declarations held to what kycd itself gives (service/facts_catalogue.h).
#pragma once

#include "dsl/policy_loader.h"

namespace kyc::service {

// `image.glare : int` loaded, passed validation and was deployed; then every upload got 422
// "image.glare: expected int, got a number": the service refused its own adapter's facts. A
// catalogued fact declared with another type is now an error at its declaration (an int fact
// may be declared number: it is read as one), and `loaded` no longer holds a policy. For the
// policies the service runs or checks; a recorded policy replays as it was.
void hold_to_catalogue(dsl::LoadedPolicy& loaded);

}  // namespace kyc::service
