import MadoguchiCore

/// Near-miss suggestions for names in expression messages.
enum NearMiss {
    /// The closest candidate within two edits (and fewer edits than its length), if any;
    /// ties go to the alphabetically first.
    static func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
        guard name.unicodeScalars.count <= 64 else { return nil }
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name && candidate.unicodeScalars.count <= 64 {
            let distance = EditDistance.between(name, candidate)
            guard distance <= 2, distance < max(candidate.unicodeScalars.count, 2) else { continue }
            if let current = best, current.distance < distance || (current.distance == distance && current.name < candidate) {
                continue
            }
            best = (candidate, distance)
        }
        return best?.name
    }
}
