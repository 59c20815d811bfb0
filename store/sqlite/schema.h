// SQL shared by the SQLite decision log (which writes document links and attempts with each
// record) and the SQLite account store (which reads them).
#pragma once

namespace kyc::store::sqlite {

// Accounts other than ?2 that document ?1 is linked to: read for a decision, and read again
// inside the commit that would add a link, where a different answer means a conflict.
inline constexpr const char* kCountOtherAccounts =
    "SELECT COUNT(*) FROM document_links WHERE document_hash = ? AND account_id != ?";

}  // namespace kyc::store::sqlite
