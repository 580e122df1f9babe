#pragma once
// The --state option of `run` and `eval`: where the engine persists `$name` globals,
// device state and rule flags (docs/homes.md, "State").
//
//   --state FILE    that SQLite file (created if missing; its folder must exist)
//   --state none    in memory only
//   (no --state)    run in real time: $XDG_STATE_HOME/eventrunner/<home folder name>.db
//                   ($XDG_STATE_HOME defaults to ~/.local/state; the folder is created);
//                   run --virtual and eval: in memory, so simulations never change the
//                   state of the real home and repeat exactly.
//
// A state file has one user at a time: the command holds the file's lock
// (adapters/state_file_lock.h) for as long as it has the file open, and a second
// `run` or `eval` on it is refused with the holder's pid. The files are private
// (0600), and folders created for the default path are 0700.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/state_file_lock.h"
#include "cli.h"
#include "rules/state_store.h"

namespace er::cli {

/// The store to pass to the engine: `store` is nullptr for "in memory".
struct StateChoice {
  bool ok = true;  ///< False after an error (reported on streams.err).
  std::unique_ptr<StateFileLock> lock;  ///< Held while the store is open (declared first,
                                        ///< so it is released after the store closes).
  std::unique_ptr<StateStore> store;
  std::string path;  ///< The file in use, empty in memory.
};

/// The default state file of a home folder for real-time runs (see above).
std::string default_state_path(const std::string& home_dir);

/// Opens the store that `option` (the --state value, if given) selects; `use_default`
/// says whether a missing option means default_state_path(home_dir) or memory.
/// `command` ("run", "eval") is recorded in the lock and shapes the in-use message.
StateChoice open_state(const std::optional<std::string>& option, const std::string& home_dir,
                       bool use_default, std::string_view command, Streams& streams);

}  // namespace er::cli
