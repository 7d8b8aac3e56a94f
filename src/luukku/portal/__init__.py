"""The citizen's portal: a server-rendered web app on the SDK, acting for the signed-in citizen.

It reaches the broker only through ``luukku.client`` as the PORTAL
organisation; it never imports the store, the service layer or the server.
"""
