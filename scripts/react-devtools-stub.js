// Ink imports react-devtools-core only when DEV=true; the bundle needs a stand-in
// because marking it external fails at run time (see shared/STACK.md).
export default { initialize() {}, connectToDevTools() {} };
