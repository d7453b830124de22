/**
 * Console progress lines shared by long-running work (downloads, corpus jobs): {@link
 * dev.jlens.model.progress.RedrawnLine} redraws one line in place at a bounded rate. May import: the JDK.
 */
package dev.jlens.model.progress;
