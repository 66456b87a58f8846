/** Strict reader for ring0 ELF64 executables (trusted). */
package ring0.elf;
