/**
 * The ring0 kernel: loads verified programs into executable memory of this
 * process and serves their system calls. Requires only the trusted base.
 */
module ring0.kernel {
    requires transitive ring0.trusted;
    exports ring0.kernel;
    exports ring0.kernel.fs;
}
