/** UNTRUSTED. The ring0 assembler: text to machine code, annotations and ELF64 executables. */
module ring0.asm {
    requires transitive ring0.trusted;
    exports ring0.asm;
}
