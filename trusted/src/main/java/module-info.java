/**
 * TRUSTED BASE. Everything that decides whether a program is safe: the x86-64
 * instruction model (shared with the untrusted encoder), the strict decoder,
 * the strict ELF reader and the kernel interface table. Depends on nothing but
 * {@code java.base}, and nothing in here may depend on the assembler.
 */
module ring0.trusted {
    exports ring0.isa;
    exports ring0.abi;
    exports ring0.elf;
    exports ring0.verify;
}
