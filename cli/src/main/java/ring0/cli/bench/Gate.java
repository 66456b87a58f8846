package ring0.cli.bench;

/** The ways a program reaches the kernel, as named in the reports. */
enum Gate {
    /** Linux, through the stub's {@code int 0x80} thunks ({@code RING0_GATE=int80}). */
    INT80("int80"),
    /** Linux, through the stub's {@code syscall} thunks ({@code RING0_GATE=syscall}). */
    SYSCALL("syscall"),
    /** ring0 kernel mode: direct calls through the kernel's trampolines, in this JVM. */
    RING0("ring0"),
    /**
     * ring0 kernel mode with the native fast paths off, so that getpid and
     * getppid go through the FFM upcall like every other call: what a call
     * costs before its handler does any work. Not run unless asked for.
     */
    RING0_UPCALL("ring0-upcall");

    /** The name in tables and JSON. */
    final String label;

    Gate(String label) { this.label = label; }

    /** True for the gates that run the ELF as a Linux process. */
    boolean isNative() {
        return switch (this) {
            case INT80, SYSCALL -> true;
            case RING0, RING0_UPCALL -> false;
        };
    }
}
