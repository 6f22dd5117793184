/// Edit distance and near-miss suggestions for names in messages.
enum NearMiss {
    /// Levenshtein distance over Unicode scalars.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The closest candidate within two edits (and fewer edits than its length), if any;
    /// ties go to the alphabetically first.
    static func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
        guard name.unicodeScalars.count <= 64 else { return nil }
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name && candidate.unicodeScalars.count <= 64 {
            let distance = distance(name, candidate)
            guard distance <= 2, distance < max(candidate.unicodeScalars.count, 2) else { continue }
            if let current = best, current.distance < distance || (current.distance == distance && current.name < candidate) {
                continue
            }
            best = (candidate, distance)
        }
        return best?.name
    }
}
