/**
 * {@code ring0 bench}: the paper's evaluation redone on this machine. Two
 * typed programs ({@code bench/lat_syscall.tal} after lmbench's
 * {@code lat_syscall}, {@code bench/iozone.tal} after IOzone {@code -i 0 -i 1})
 * are assembled and verified once, and the same ELF file is run through every
 * gate: natively on Linux through {@code int 0x80} and {@code syscall}, and in
 * kernel mode through the {@code ring0.kernel.Kernel} facade, in this JVM.
 * Every number comes from the programs' own {@code clock} readings in the
 * same run of the harness; nothing is fitted or hard-coded.
 */
package ring0.cli.bench;
