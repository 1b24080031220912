/// Turning inotify events into reported paths and keeping the watch table right.
extension WatcherLoop {
    func handle(_ events: [InotifyEvent], now: ContinuousClock.Instant) {
        for event in events {
            handle(event, now: now)
        }
    }

    private func handle(_ event: InotifyEvent, now: ContinuousClock.Instant) {
        if event.mask.contains(.queueOverflow) {
            recoverFromOverflow(now: now)
            return
        }
        if event.mask.contains(.ignored) {
            table.remove(event.watch)
            return
        }
        guard let directory = table.path(of: event.watch) else { return }
        if event.name.isEmpty {
            handleSelfEvent(event, directory: directory, now: now)
            return
        }
        let path = RelativePath.join(directory, event.name)
        let isDirectory = event.mask.contains(.isDirectory)
        let ignored = isIgnored(path, isDirectory)

        if event.mask.contains(.movedFrom) {
            if !ignored {
                window.record(path, at: now)
                if isDirectory { pendingMoves[event.cookie] = path }
            }
        } else if event.mask.contains(.movedTo) {
            let source = pendingMoves.removeValue(forKey: event.cookie)
            if pendingMoves.isEmpty { pendingMovesExpireAt = nil }
            if ignored {
                // Moved onto an ignored name: as far as we report, it left the tree.
                if let source { unwatchSubtree(source, now: now) }
                return
            }
            window.record(path, at: now)
            if isDirectory {
                if let source {
                    renameSubtree(from: source, to: path, now: now)
                } else {
                    watchTree(path, report: true, now: now)
                }
            }
        } else if event.mask.contains(.create) {
            guard !ignored else { return }
            window.record(path, at: now)
            if isDirectory { watchTree(path, report: true, now: now) }
        } else if !ignored {
            // IN_MODIFY, IN_CLOSE_WRITE, IN_ATTRIB, IN_DELETE.
            window.record(path, at: now)
        }
    }

    /// Events on a watched directory itself. Those of subdirectories are reported through
    /// their parent's named events; only the root's matter here.
    private func handleSelfEvent(_ event: InotifyEvent, directory: String, now: ContinuousClock.Instant) {
        guard directory.isEmpty, event.mask.contains(.deleteSelf) || event.mask.contains(.moveSelf) else { return }
        guard !rootRemoved else { return }
        rootRemoved = true
        window.record("", at: now)
        window.recordRescan("", at: now)
        warningSink.yield(.rootRemoved(root: root))
    }

    /// A directory renamed inside the tree: its watches follow it, and every entry under it
    /// is reported at both its old and its new path.
    private func renameSubtree(from source: String, to destination: String, now: ContinuousClock.Instant) {
        table.rename(source, to: destination)
        for subtree in polled.keys where RelativePath.isWithin(subtree, source) {
            polled[subtree] = nil
            let moved = RelativePath.rebase(subtree, from: source, to: destination)
            polled[moved] = PolledSubtree(path: moved, root: root, isIgnored: isIgnored)
        }
        // Watch anything the walk finds unwatched (created in the instant of the move), and
        // report every entry at both ends.
        for path in watchTree(destination, report: false, now: now) {
            window.record(path, at: now)
            window.record(RelativePath.rebase(path, from: destination, to: source), at: now)
        }
    }

    /// Directories that left with no `IN_MOVED_TO` in the tree: drop their watches (they now
    /// watch something outside the root) and ask the consumer to re-scan where they were.
    func settleUnpairedMoves(now: ContinuousClock.Instant) {
        for source in pendingMoves.values {
            unwatchSubtree(source, now: now)
        }
        pendingMoves = [:]
        pendingMovesExpireAt = nil
    }

    /// Stops watching `subtree` and marks it for a re-scan (its entries left without events).
    func unwatchSubtree(_ subtree: String, now: ContinuousClock.Instant) {
        for watch in table.watches(within: subtree) {
            inotify?.removeWatch(watch)
            table.remove(watch)
        }
        for path in polled.keys where RelativePath.isWithin(path, subtree) {
            polled[path] = nil
        }
        window.recordRescan(subtree, at: now)
    }
}
