// The embedding of the token ids.
func.func @embedding(%ids: tensor<?x?xi32>, %table: tensor<50280x768xbf16>) -> tensor<?x?x768xbf16> {
  %h = mamba.embedding %ids, %table : (tensor<?x?xi32>, tensor<50280x768xbf16>) -> tensor<?x?x768xbf16>
  return %h : tensor<?x?x768xbf16>
}
