"""Index lists into mediapipe's 478-point face mesh, each an ordered outline.

"left" is the person's left (the image's right), as in the class table.
"""

FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400,
             377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109)
LEFT_EYE = (263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466)
RIGHT_EYE = (33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246)
LEFT_BROW = (336, 296, 334, 293, 300, 276, 283, 282, 295, 285)
RIGHT_BROW = (107, 66, 105, 63, 70, 46, 53, 52, 65, 55)
UPPER_LIP = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291,
             308, 415, 310, 311, 312, 13, 82, 81, 80, 191, 78)
LOWER_LIP = (291, 375, 321, 405, 314, 17, 84, 181, 91, 146, 61,
             78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308)
MOUTH_INSIDE = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95)
NOSE = (168, 417, 412, 399, 456, 420, 360, 344, 278, 294, 327, 326, 2, 97, 98, 64, 48, 115, 131, 198,
        236, 174, 188, 193)
"""The nose's outline: down the bridge halfway between its ridge and the eyes' inner corners (as
wide as CelebAMask-HQ draws it), round the wings and under the tip. Not the convex hull of the nose's
points: that takes in the cheeks beside the bridge."""
LEFT_IRIS_CENTRE = 473
RIGHT_IRIS_CENTRE = 468
MOUTH_CORNERS = (61, 291)
LIP_MIDDLE = (13, 14)
