// swift-tools-version: 6.2
//
// Madoguchi — firmware and runtime for self-service terminals at Japanese town halls.
// Layers (docs/architecture.md): C system libraries → pure core → adapters → programs.
// Pure targets import no C module; C pointers and return codes stay inside adapters.
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode comes from the tools version;
/// imports stay internal unless a target re-exports on purpose.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Madoguchi",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "madoguchid", targets: ["madoguchid"]),
        .executable(name: "madoguchi", targets: ["madoguchi"]),
        .executable(name: "madoguchi-backoffice", targets: ["madoguchi-backoffice"]),
        .executable(name: "madoguchi-printer", targets: ["madoguchi-printer"]),
        .executable(name: "madoguchi-usb", targets: ["madoguchi-usb"]),
        .executable(name: "madoguchi-forms", targets: ["madoguchi-forms"]),
        .executable(name: "madoguchi-outbox", targets: ["madoguchi-outbox"]),
        .executable(name: "madoguchi-diag", targets: ["madoguchi-diag"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.0.0"),
        // Already in the graph through async-http-client; named for ByteBuffer and TLS settings.
        .package(url: "https://github.com/apple/swift-nio", from: "2.70.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
    ],
    targets: [
        // MARK: C system libraries (module map + shim header; nothing else imports C)
        .systemLibrary(
            name: "CPCSCLite", pkgConfig: "libpcsclite",
            providers: [.apt(["libpcsclite-dev"])]),
        // Debian 12's libcups2-dev ships no cups.pc: the module map links "cups" by name.
        .systemLibrary(name: "CCUPS", providers: [.apt(["libcups2-dev"])]),
        .systemLibrary(
            name: "CLibUSB", pkgConfig: "libusb-1.0",
            providers: [.apt(["libusb-1.0-0-dev"])]),
        .systemLibrary(
            name: "CPangoCairo", pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev", "libharfbuzz-dev"])]),
        // Linux's own headers: the fbdev, evdev, VT and tty ioctls (no library to link).
        .systemLibrary(name: "CLinuxFB"),
        .systemLibrary(name: "CLinuxInput"),
        // adjtimex(2), which Glibc's module leaves out: the clock's synchronisation for diagnostics.
        .systemLibrary(name: "CLinuxTime"),
        .systemLibrary(
            name: "CQREncode", pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]),
        // libxcrypt: crypt(3) for the staff passcode's hash.
        .systemLibrary(name: "CCrypt", providers: [.apt(["libcrypt-dev"])]),

        // MARK: pure core (no C, no I/O)
        .target(name: "MadoguchiCore", swiftSettings: swiftSettings),
        .target(name: "SmartCard", swiftSettings: swiftSettings),
        .target(
            name: "MyNumberCard",
            dependencies: ["SmartCard", "MadoguchiCore", .product(name: "X509", package: "swift-certificates")],
            swiftSettings: swiftSettings),
        .target(
            name: "Flows",
            dependencies: ["MadoguchiCore", "Contracts"],
            swiftSettings: swiftSettings),
        .target(name: "Documents", dependencies: ["Flows"], swiftSettings: swiftSettings),
        .target(name: "Screens", dependencies: ["MadoguchiCore", "Documents"], swiftSettings: swiftSettings),
        .target(name: "Outbox", dependencies: ["MadoguchiCore"], swiftSettings: swiftSettings),
        .target(
            name: "KioskSession",
            dependencies: ["MadoguchiCore", "MyNumberCard", "Flows", "Screens", "Outbox"],
            swiftSettings: swiftSettings),
        .target(
            name: "Contracts",
            dependencies: [
                "MadoguchiCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings),
        // Aggregate session metrics (per form and step, never per person) and their
        // Prometheus text; `Synchronization` for the recorder's Mutex.
        .target(name: "KioskMetrics", swiftSettings: swiftSettings),
        // The control socket's requests and responses (JSON lines); no I/O.
        .target(name: "ControlProtocol", dependencies: ["MadoguchiCore", "KioskMetrics"], swiftSettings: swiftSettings),
        // `madoguchi diag`'s report: marks, lines, exit status and JSON, what a certificate's
        // DER says (swift-certificates), and USB readers against their profiles; no I/O.
        .target(
            name: "Diagnostics",
            dependencies: ["MadoguchiCore", "MadoguchiConfig", .product(name: "X509", package: "swift-certificates")],
            swiftSettings: swiftSettings),
        .target(
            name: "MadoguchiConfig",
            dependencies: ["MadoguchiCore", "Contracts", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: swiftSettings),

        // MARK: adapters (each wraps one C library or service)
        .target(
            name: "PCSC", dependencies: ["CPCSCLite", "SmartCard", "MadoguchiCore"],
            swiftSettings: swiftSettings),
        .target(
            name: "Printing", dependencies: ["CCUPS", "MadoguchiCore"],
            swiftSettings: swiftSettings),
        .target(name: "USBDevices", dependencies: ["CLibUSB", "MadoguchiCore"], swiftSettings: swiftSettings),
        .target(
            name: "Rendering", dependencies: ["CPangoCairo", "CQREncode", "CLinuxFB", "Documents", "Screens", "MadoguchiCore"],
            swiftSettings: swiftSettings),
        .target(name: "Input", dependencies: ["Screens", "CLinuxInput"], swiftSettings: swiftSettings),
        .target(
            name: "OutboxStore",
            dependencies: [
                "Outbox", "MadoguchiCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // Glibc sockets: sd_notify, the control socket's server and client; the system probes
        // of `madoguchi diag` (clock, disk, DNS, TCP).
        .target(
            name: "DaemonSupport", dependencies: ["ControlProtocol", "MadoguchiCore", "CCrypt", "CLinuxTime"],
            swiftSettings: swiftSettings),
        .target(
            name: "Sync",
            dependencies: [
                "Outbox", "OutboxStore", "MadoguchiConfig", "MadoguchiCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // The kiosk's runtime: performs the session's effects with the adapters.
        .target(
            name: "KioskRuntime",
            dependencies: [
                "KioskSession", "Flows", "Documents", "Rendering", "Printing", "PCSC", "MyNumberCard", "SmartCard",
                "Outbox", "OutboxStore", "Screens", "MadoguchiCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // MARK: test kit (fakes for unit tests of pure logic; never linked into a program)
        .target(
            name: "TestSupport", dependencies: ["SmartCard", "MadoguchiCore"],
            swiftSettings: swiftSettings),

        // MARK: programs (argument parsing and wiring only)
        .executableTarget(
            name: "madoguchid",
            dependencies: [
                "MadoguchiCore", "MadoguchiConfig", "KioskSession", "KioskRuntime", "PCSC", "Printing", "Rendering",
                "Input", "Outbox", "OutboxStore", "Sync", "Flows", "Screens", "Contracts", "DaemonSupport", "ControlProtocol",
                "KioskMetrics",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        // The CLI links only what card commands need, so `madoguchi card read` starts fast;
        // subcommands with heavy libraries run in helpers beside it (HelperProgram).
        .target(
            name: "CLISupport",
            dependencies: ["MadoguchiCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "madoguchi",
            dependencies: [
                "MadoguchiCore", "CLISupport", "SmartCard", "MyNumberCard", "PCSC",
                "ControlProtocol", "DaemonSupport", "KioskMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "madoguchi-printer",
            dependencies: [
                "MadoguchiCore", "CLISupport", "Printing", "Rendering", "Documents", "Screens", "Input",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "madoguchi-usb",
            dependencies: [
                "MadoguchiCore", "CLISupport", "USBDevices", "MadoguchiConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "madoguchi-forms",
            dependencies: [
                "MadoguchiCore", "CLISupport", "Contracts", "Flows", "Documents", "Rendering",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "madoguchi-outbox",
            dependencies: [
                "MadoguchiCore", "CLISupport", "MadoguchiConfig", "Contracts", "Outbox", "OutboxStore", "DaemonSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        // `madoguchi diag`: asks the daemon, pcscd, the card, cupsd, the outbox and the back office;
        // `diag print` draws the test page (Documents, Rendering) and follows it through CUPS;
        // `diag touch` calibrates the touch screen (Input, Screens).
        .executableTarget(
            name: "madoguchi-diag",
            dependencies: [
                "MadoguchiCore", "CLISupport", "Diagnostics", "MadoguchiConfig", "Contracts", "ControlProtocol", "DaemonSupport",
                "PCSC", "SmartCard", "MyNumberCard", "Printing", "Documents", "Rendering", "Outbox", "OutboxStore", "Sync", "USBDevices",
                // `diag touch`: the touch device, and the crosses drawn as the kiosk draws screens.
                "Input", "Screens",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The back office's TLS handshake on its own, to read its certificate.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "madoguchi-backoffice",
            dependencies: [
                "MadoguchiCore", "Outbox", "Contracts",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings),

        // MARK: benchmarks (Benchmarks/run, `make bench`)
        .executableTarget(
            name: "madoguchi-bench", dependencies: ["SmartCard", "MyNumberCard", "PCSC"],
            path: "Benchmarks/CardBench", swiftSettings: swiftSettings),
        .executableTarget(
            name: "madoguchi-flow-bench", dependencies: ["Flows", "Contracts", "MadoguchiCore"],
            path: "Benchmarks/FlowBench", swiftSettings: swiftSettings),
        .executableTarget(
            name: "madoguchi-draw-bench", dependencies: ["Flows", "Contracts", "Documents", "Rendering"],
            path: "Benchmarks/DrawBench", swiftSettings: swiftSettings),
        .executableTarget(
            name: "madoguchi-screen-bench", dependencies: ["Screens", "Rendering"],
            path: "Benchmarks/ScreenBench", swiftSettings: swiftSettings),
        .executableTarget(
            name: "madoguchi-outbox-bench", dependencies: ["Outbox", "OutboxStore"],
            path: "Benchmarks/OutboxBench", swiftSettings: swiftSettings),

        .executableTarget(
            name: "madoguchi-sync-bench",
            dependencies: [
                "Outbox", "OutboxStore", "Sync",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/SyncBench", swiftSettings: swiftSettings),

        // MARK: tests
        // Drives a real outbox for the crash and fsync tests (OutboxDurabilityTests).
        .executableTarget(
            name: "outbox-crash-worker", dependencies: ["Outbox", "OutboxStore"],
            path: "Tests/OutboxCrashWorker", swiftSettings: swiftSettings),
        // Pure logic: runs anywhere, no services.
        .testTarget(
            name: "UnitTests",
            dependencies: [
                "MadoguchiCore", "SmartCard", "MyNumberCard", "Flows", "Documents", "Screens", "Input",
                "Outbox", "KioskSession", "MadoguchiConfig", "Contracts", "TestSupport", "Diagnostics",
            ],
            swiftSettings: swiftSettings),
        // The daemon's support pieces (sd_notify, the control socket over real Unix sockets,
        // metrics): no services, and none of the heavy targets.
        .testTarget(
            name: "DaemonSupportTests",
            dependencies: ["DaemonSupport", "ControlProtocol", "KioskMetrics", "MadoguchiCore"],
            swiftSettings: swiftSettings),
        // Real parts: pcscd + virtual card, cupsd, libusb, Cairo/Pango, SQLite, HTTP, the
        // built programs. Everything that touches pcscd, the card or cupsd sits under the
        // one serialized suite `DeviceTests` (Swift Testing only orders inside one suite).
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "MadoguchiCore", "SmartCard", "MyNumberCard", "Contracts", "PCSC", "Printing", "USBDevices", "Rendering",
                "Flows", "Documents", "Screens", "Input", "Outbox", "OutboxStore", "MadoguchiConfig",
                "Sync", "KioskRuntime", "TestSupport", "CPCSCLite", "CCUPS", "CLibUSB", "CPangoCairo", "CQREncode",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
    ]
)
