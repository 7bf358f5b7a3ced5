# Metainfo of the 17-keypoint fruit-fly dataset (a subset of the 32-point Vinegar Fly
# skeleton of Pereira et al., Nature Methods 2019; names kept from it).
#
# joint_weights: 1.0, but 1.2 on the six leg tips (*4), the smallest and most often
#   confused parts, as mmpose weights wrists and ankles in COCO.
# sigmas (OKS only): 0.025 as mmpose uses for small animal landmarks; 0.035 for the wing tips,
#   whose ends are blurred and less precisely defined; 0.02 for the sharp leg tips.
dataset_info = dict(
    dataset_name='fly17',
    paper_info=dict(
        author='Pereira, Talmo D and Aldarondo, Diego E and Willmore, Lindsay and '
        'Kislin, Mikhail and Wang, Samuel S-H and Murthy, Mala and Shaevitz, Joshua W',
        title='Fast animal pose estimation using deep neural networks',
        container='Nature Methods',
        year='2019',
        homepage='https://github.com/jgraving/DeepPoseKit-Data',
    ),
    keypoint_info={
        0: dict(name='head', id=0, color=[255, 255, 255], type='upper', swap=''),
        1: dict(name='thorax', id=1, color=[255, 255, 255], type='upper', swap=''),
        2: dict(name='abdomen', id=2, color=[255, 255, 255], type='upper', swap=''),
        3: dict(name='wingL', id=3, color=[0, 200, 255], type='upper', swap='wingR'),
        4: dict(name='wingR', id=4, color=[255, 128, 0], type='upper', swap='wingL'),
        5: dict(name='forelegL2', id=5, color=[0, 200, 255], type='lower', swap='forelegR2'),
        6: dict(name='forelegL4', id=6, color=[0, 200, 255], type='lower', swap='forelegR4'),
        7: dict(name='forelegR2', id=7, color=[255, 128, 0], type='lower', swap='forelegL2'),
        8: dict(name='forelegR4', id=8, color=[255, 128, 0], type='lower', swap='forelegL4'),
        9: dict(name='midlegL2', id=9, color=[0, 200, 255], type='lower', swap='midlegR2'),
        10: dict(name='midlegL4', id=10, color=[0, 200, 255], type='lower', swap='midlegR4'),
        11: dict(name='midlegR2', id=11, color=[255, 128, 0], type='lower', swap='midlegL2'),
        12: dict(name='midlegR4', id=12, color=[255, 128, 0], type='lower', swap='midlegL4'),
        13: dict(name='hindlegL2', id=13, color=[0, 200, 255], type='lower', swap='hindlegR2'),
        14: dict(name='hindlegL4', id=14, color=[0, 200, 255], type='lower', swap='hindlegR4'),
        15: dict(name='hindlegR2', id=15, color=[255, 128, 0], type='lower', swap='hindlegL2'),
        16: dict(name='hindlegR4', id=16, color=[255, 128, 0], type='lower', swap='hindlegL4'),
    },
    skeleton_info={
        0: dict(link=('head', 'thorax'), id=0, color=[255, 255, 255]),
        1: dict(link=('thorax', 'abdomen'), id=1, color=[255, 255, 255]),
        2: dict(link=('thorax', 'wingL'), id=2, color=[0, 200, 255]),
        3: dict(link=('thorax', 'wingR'), id=3, color=[255, 128, 0]),
        4: dict(link=('thorax', 'forelegL2'), id=4, color=[0, 200, 255]),
        5: dict(link=('thorax', 'forelegR2'), id=5, color=[255, 128, 0]),
        6: dict(link=('thorax', 'midlegL2'), id=6, color=[0, 200, 255]),
        7: dict(link=('thorax', 'midlegR2'), id=7, color=[255, 128, 0]),
        8: dict(link=('thorax', 'hindlegL2'), id=8, color=[0, 200, 255]),
        9: dict(link=('thorax', 'hindlegR2'), id=9, color=[255, 128, 0]),
        10: dict(link=('forelegL2', 'forelegL4'), id=10, color=[0, 200, 255]),
        11: dict(link=('forelegR2', 'forelegR4'), id=11, color=[255, 128, 0]),
        12: dict(link=('midlegL2', 'midlegL4'), id=12, color=[0, 200, 255]),
        13: dict(link=('midlegR2', 'midlegR4'), id=13, color=[255, 128, 0]),
        14: dict(link=('hindlegL2', 'hindlegL4'), id=14, color=[0, 200, 255]),
        15: dict(link=('hindlegR2', 'hindlegR4'), id=15, color=[255, 128, 0]),
    },
    #              head thorax abdomen wingL wingR, then (leg 2, leg 4) x 6
    joint_weights=[1.0, 1.0, 1.0, 1.0, 1.0] + [1.0, 1.2] * 6,
    sigmas=[0.025, 0.025, 0.025, 0.035, 0.035] + [0.025, 0.02] * 6,
)
