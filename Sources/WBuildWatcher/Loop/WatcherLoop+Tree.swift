import WBuildSystem

/// Adding watches to (sub)trees, the polling fallback, and overflow recovery.
extension WatcherLoop {
    /// Watches `top` and every directory under it that is not ignored, watching each
    /// directory *before* listing it so nothing created meanwhile is missed. Returns every
    /// entry found below `top`, and records them in the open batch when `report` is set
    /// (a directory that just appeared may already hold files).
    @discardableResult
    func watchTree(_ top: String, report: Bool, now: ContinuousClock.Instant) -> [String] {
        var found: [String] = []
        var pending = [top]
        while let directory = pending.popLast() {
            guard let inotify else { return found }
            switch inotify.addWatch(absolutePath: RelativePath.absolute(root: root, directory), relativePath: directory) {
            case .success(let watch):
                table.set(watch, path: directory)
                polled[directory] = nil
            case .failure(let errno) where errno == .noSpace:
                if polled[directory] == nil {
                    let subtree = startPolling(directory, report: report, now: now)
                    found.append(contentsOf: subtree.filter { $0 != directory })
                }
                continue
            case .failure(let errno) where errno == .noSuchFile || errno == .notDirectory:
                continue  // gone again before we got to it; its deletion is reported by its parent
            case .failure(let errno):
                warningSink.yield(.notWatched(subtree: directory, errno: errno))
                continue
            }
            guard case .success(let entries) = DirectoryListing.entries(of: RelativePath.absolute(root: root, directory)) else {
                continue
            }
            for entry in entries {
                let path = RelativePath.join(directory, entry.name)
                if isIgnored(path, entry.isDirectory) { continue }
                found.append(path)
                if report { window.record(path, at: now) }
                if entry.isDirectory { pending.append(path) }
            }
        }
        return found
    }

    /// Falls back to polling `subtree` (out of inotify watches or instances), warning once
    /// per subtree. Returns the paths its first snapshot found.
    @discardableResult
    func startPolling(_ subtree: String, report: Bool, now: ContinuousClock.Instant) -> [String] {
        let polling = PolledSubtree(path: subtree, root: root, isIgnored: isIgnored)
        polled[subtree] = polling
        if inotify == nil {
            warningSink.yield(.outOfInstances(pollInterval: pollInterval))
        } else if outOfWatchesWarnings < Self.outOfWatchesWarningLimit {
            // Once out of watches, every further directory fails too: warn about the first
            // few subtrees, not thousands.
            outOfWatchesWarnings += 1
            let isLast = outOfWatchesWarnings == Self.outOfWatchesWarningLimit
            warningSink.yield(.outOfWatches(subtree: subtree, pollInterval: pollInterval, furtherSilenced: isLast))
        }
        if report {
            for path in polling.stamps.keys { window.record(path, at: now) }
        }
        if nextPollAt == nil { nextPollAt = now + pollInterval }
        return Array(polling.stamps.keys)
    }

    /// Stat-walks every polled subtree and records what changed since the last walk.
    func pollSubtrees(now: ContinuousClock.Instant) {
        for subtree in Array(polled.keys) {
            guard var polling = polled[subtree] else { continue }
            let changed = polling.poll(root: root, isIgnored: isIgnored)
            polled[subtree] = polling
            for path in changed { window.record(path, at: now) }
        }
        nextPollAt = polled.isEmpty ? nil : .now + pollInterval
    }

    /// After `IN_Q_OVERFLOW` events were lost: tell the consumer to re-scan everything, and
    /// rebuild the watch table from a fresh walk so directories created meanwhile are watched
    /// and watches on directories that are gone are dropped.
    func recoverFromOverflow(now: ContinuousClock.Instant) {
        window.recordRescan("", at: now)
        warningSink.yield(.eventsLost())
        pendingMoves = [:]
        pendingMovesExpireAt = nil
        guard inotify != nil else { return }
        let previous = table
        table = WatchTable()
        watchTree("", report: false, now: now)
        for watch in previous.allWatches where table.path(of: watch) == nil {
            inotify?.removeWatch(watch)
        }
    }
}
