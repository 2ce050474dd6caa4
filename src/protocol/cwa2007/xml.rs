//! roxmltree helpers: names compared by local name (so both namespace spellings, and none,
//! are read alike), and an escaping writer for requests.
